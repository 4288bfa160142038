"""The tuner benchmark, run the way the field runs one (Optuna's former kurobako / bayesmark
reports, Dewancker et al. 2016): several samplers, one space and one epoch budget per problem,
many seeds, best-so-far curves, pairwise one-sided Mann-Whitney U tests, Borda points.

Finite spaces are tabulated once (every configuration, several training seeds, every epoch:
the tabular-benchmark practice of HPOBench and NAS-Bench), then the samplers run on the table;
a few live runs show the table agrees with real training.
"""
