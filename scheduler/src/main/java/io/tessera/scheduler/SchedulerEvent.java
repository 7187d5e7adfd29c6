package io.tessera.scheduler;

import com.lmax.disruptor.EventTranslatorTwoArg;

/**
 * A preallocated entry of the submission ring. Producers fill it through one of the static
 * translators (one per event type, so publishing captures nothing and allocates nothing).
 */
final class SchedulerEvent
{
    static final int SUBMIT = 1;
    static final int DEPS_READY = 2;
    static final int COMPLETE = 3;
    static final int CANCEL = 4;
    static final int BLOCK = 5;
    static final int UNBLOCK = 6;
    static final int MAILBOX_CREATE = 7;
    static final int MAILBOX_READY = 8;
    static final int MAILBOX_CLOSE = 9;
    static final int REQUEUE = 11;

    static final Translator SUBMIT_T = new Translator(SUBMIT);
    static final Translator DEPS_READY_T = new Translator(DEPS_READY);
    static final Translator COMPLETE_T = new Translator(COMPLETE);
    static final Translator CANCEL_T = new Translator(CANCEL);
    static final Translator BLOCK_T = new Translator(BLOCK);
    static final Translator UNBLOCK_T = new Translator(UNBLOCK);
    static final Translator MAILBOX_CREATE_T = new Translator(MAILBOX_CREATE);
    static final Translator MAILBOX_READY_T = new Translator(MAILBOX_READY);
    static final Translator MAILBOX_CLOSE_T = new Translator(MAILBOX_CLOSE);
    static final Translator REQUEUE_T = new Translator(REQUEUE);

    int type;
    Task task;
    Object subject;

    void clear()
    {
        type = 0;
        task = null;
        subject = null;
    }

    static final class Translator implements EventTranslatorTwoArg<SchedulerEvent, Task, Object>
    {
        private final int type;

        Translator(final int type)
        {
            this.type = type;
        }

        @Override
        public void translateTo(final SchedulerEvent event, final long sequence, final Task task, final Object subject)
        {
            event.type = type;
            event.task = task;
            event.subject = subject;
        }
    }
}
