from nap1325.cli import main

main()
