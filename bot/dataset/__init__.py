"""The dataset: the reviewed TOML files in data/ that seed the fact store, and their checks."""

from bot.dataset.loader import Dataset, DatasetError, fact_files, load_dataset, read_facts_file

__all__ = ["Dataset", "DatasetError", "fact_files", "load_dataset", "read_facts_file"]
