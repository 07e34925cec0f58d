from lubudget_xl.cli import main

# Guarded: on Windows and macOS, worker processes (consolidate --jobs) start by importing this
# module again; unguarded, each worker would run the command line itself.
if __name__ == "__main__":
    raise SystemExit(main())
