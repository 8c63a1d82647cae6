from dataplan_lint.cli.entry import main

main()
