"""Langfang Policy Warehouse."""
