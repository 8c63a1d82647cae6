from dataplan_lint.entry import main

main()
