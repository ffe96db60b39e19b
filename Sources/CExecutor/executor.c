#include "CExecutor.h"

#include <stdatomic.h>
#include <stdint.h>

#define SWIFT_CC __attribute__((swiftcall))

// The runtime's `SerialExecutorRef`: { identity, implementation }; { NULL, 0 } is the generic
// executor (SerialExecutorRef::generic() in the runtime's ABI headers).
typedef struct {
    void *identity;
    uintptr_t implementation;
} cexecutor_serial_executor_ref;

typedef SWIFT_CC void (*cexecutor_original_fn)(void *job);
typedef SWIFT_CC void (*cexecutor_hook_fn)(void *job, cexecutor_original_fn original);

extern _Atomic(cexecutor_hook_fn) swift_task_enqueueGlobal_hook;
extern SWIFT_CC void swift_job_run(void *job, cexecutor_serial_executor_ref executor);

static cexecutor_enqueue_fn installed_enqueue;

static SWIFT_CC void cexecutor_hook(void *job, cexecutor_original_fn original) {
    (void)original;
    installed_enqueue(job);
}

int cexecutor_install(cexecutor_enqueue_fn enqueue) {
    installed_enqueue = enqueue;
    cexecutor_hook_fn expected = NULL;
    return atomic_compare_exchange_strong(&swift_task_enqueueGlobal_hook, &expected, cexecutor_hook) ? 1 : 0;
}

void cexecutor_run_generic(void *job) {
    cexecutor_serial_executor_ref generic = {NULL, 0};
    swift_job_run(job, generic);
}
