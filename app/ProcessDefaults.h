#pragma once
// Process-wide runtime defaults for the executables (see ProcessDefaults.cpp for the why).

namespace app {

/// Ensures libgomp spins only briefly before sleeping (GOMP_SPINCOUNT=1000) unless the user set
/// it. libgomp reads the variable once, when it loads, so when it is missing this sets it and
/// re-executes the program with the same arguments; it returns only when nothing was needed
/// or the re-exec failed (then the process simply runs with libgomp's defaults).
void applyThreadingDefaults(char** argv);

} // namespace app
