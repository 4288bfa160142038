"""gaitops: explainable deep learning on gait kinematics, run as an MLOps pipeline."""

__version__ = "0.1.0"
