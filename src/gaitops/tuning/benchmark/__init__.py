"""The tuner benchmark, run the way the field runs one (HPOBench, YAHPO, CARP-S): every
configuration of a grid tabulated once (every epoch, two training seeds), then every sampler
run on the tables for many paired seeds, judged by normalised regret (random search = 1,
optimum = 0) with paired tests, effect sizes and equivalence tests, beside a positive and a
negative control that show whether the harness can tell samplers apart at all.
"""
