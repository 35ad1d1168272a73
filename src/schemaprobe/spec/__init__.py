"""Specs: YAML files stating what a database must be, loaded into an immutable model."""
