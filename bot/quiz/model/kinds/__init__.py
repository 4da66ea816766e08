"""The generated question kinds, one module per family: dates and counts, sanctions, launches, order.

Each generator takes a `FactRecord` and yields questions (or None for a fact that breaks a limit).
Every wrong option is a real value of another fact of the same kind (another test's date, another
system of the class, another resolution's measure), never an edit of the right answer.
"""
