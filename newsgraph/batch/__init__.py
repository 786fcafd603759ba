"""Batch analysis on Ray Data into Parquet record tables (`newsgraph batch`), and their bulk loading into the store
(`newsgraph load`): `units` shares out the inputs, `run` is the Ray pipeline, `tables` the rows of each record kind
(the `export` columns), `output` the output folder and its manifest, `load` the loading."""
