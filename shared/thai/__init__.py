"""Thai rules: the Buddhist Era calendar, what officers type, rounding, the work manual.
Pure Python: the domain may import it."""
