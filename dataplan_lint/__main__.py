from dataplan_lint.cli import main

main()
