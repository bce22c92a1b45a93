from followup_lint.cli.hit import main

if __name__ == "__main__":
    main()
