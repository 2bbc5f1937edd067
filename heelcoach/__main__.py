"""`python -m heelcoach`: the same entry point as the `heelcoach` command."""

from heelcoach.frontends.cli.app import main

if __name__ == "__main__":
    main()
