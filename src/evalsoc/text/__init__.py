"""Reader-facing text: locale formatting of numbers, percentages and dates."""
