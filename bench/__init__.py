"""Benchmarks: a seeded corpus of realistic work reports, and `make bench` over it.

Not part of the product (not packaged, no product code imports it); the tests reuse the corpus at
small N.
"""
