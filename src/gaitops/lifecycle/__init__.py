"""The retraining lifecycle: every retrain kept in git, the promotion gate, the model registry
(GTO tags on those commits), and prediction with the promoted model."""
