"""Seabridge: the platform a vehicle maker and its overseas partners share."""
