#ifndef CEXECUTOR_H
#define CEXECUTOR_H

// Swift Concurrency's global executor hook, and running a job the way the default executor does.
// C, because both are entry points of the Swift runtime with the Swift calling convention and no
// Swift declaration: `swift_task_enqueueGlobal_hook` (what SwiftNIO's own take-over sets) and
// `swift_job_run` (what `UnownedJob.runSynchronously(on:)` calls), here with the generic executor,
// which has no Swift spelling.

/// Receives every job Swift Concurrency enqueues on its global executor.
typedef void (*cexecutor_enqueue_fn)(void *_Nonnull job);

/// Routes the global executor's jobs to `enqueue`. Returns 0 when another hook was installed
/// first (nothing is changed then), 1 otherwise. Call once, before any task is created.
int cexecutor_install(cexecutor_enqueue_fn _Nonnull enqueue);

/// Runs `job` as the default global executor does: on the generic executor, with no task
/// executor. A task that then calls a nonisolated async function stays on this thread instead of
/// being enqueued again.
void cexecutor_run_generic(void *_Nonnull job);

#endif
