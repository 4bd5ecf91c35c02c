from oa_cli.cli.app import main

main()
