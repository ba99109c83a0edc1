"""The sample corpus with ground truth, the generator that made it, and the scorer that uses it.

Nothing here is needed at run time by the product: it exists to measure it.
"""
