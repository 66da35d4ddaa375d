from rivalscope.cli import main

main()
