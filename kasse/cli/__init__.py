"""The command line (Typer): parse, call the core, print - in Danish."""
