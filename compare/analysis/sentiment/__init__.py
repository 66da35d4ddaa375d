"""Sentiment: per-language classifiers learnt from labels or star ratings, lexicon fallbacks."""
