"""A task's headline metric as one function of (truth, model outputs): what model selection and
tuners optimise."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from gaitops.metrics.classification import classification_metrics
from gaitops.metrics.regression import regression_metrics
from gaitops.tasks import Task


def headline_metric(task: Task, n_classes: int | None) -> Callable[[np.ndarray, np.ndarray], float]:
    """(truth, outputs: class probabilities or predicted values) -> the task's headline metric."""

    def score(y_true: np.ndarray, outputs: np.ndarray) -> float:
        if task.is_classification:
            found = classification_metrics(
                y_true, outputs.argmax(axis=1), n_classes or outputs.shape[1]
            )
        else:
            found = regression_metrics(y_true, outputs)
        return float(found[task.headline_metric])

    return score
