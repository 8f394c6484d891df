"""The query engine: jobs, the executor processes and their fork server, the SERVICE/LOAD guard,
store access and the local and remote backends. No Flask here: the engine knows nothing of HTTP."""
