"""The transformer layer: inference only (load a model, predict probabilities). Nothing here imports training."""
