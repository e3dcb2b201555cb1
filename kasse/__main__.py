"""`kasse` and `python -m kasse`: the process starts here.

The cycle collector is off while the command line is imported and parsed:
its passes over the tens of thousands of start-up objects find nothing to
free and cost a lookup ~30 ms of its ~190 (bench/lookups.py). kasse.cli.main
turns it back on for every command but the quick lookups.
"""

import gc

gc.disable()

from kasse.cli.main import main

if __name__ == "__main__":
    main()
