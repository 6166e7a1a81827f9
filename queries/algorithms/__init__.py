"""Graph algorithms on the in-memory model (pure networkx, no database), one module per family.

- :mod:`queries.algorithms.structure`: brokerage roles, structural holes, bridges, articulation
  points and the bridge units of the co-building network.
"""
