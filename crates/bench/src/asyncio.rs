//! The appendix's workloads on CPython's asyncio and on uvloop (being written).
