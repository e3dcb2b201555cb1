"""python -m kasse"""

from kasse.cli import main

main()
