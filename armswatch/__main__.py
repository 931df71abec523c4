"""``python -m armswatch``: the same command as the ``armswatch`` console script."""

from armswatch.cli.main import run

if __name__ == "__main__":
    run()
