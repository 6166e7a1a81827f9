"""The checks of the three questions; each module registers its checks and metrics."""
