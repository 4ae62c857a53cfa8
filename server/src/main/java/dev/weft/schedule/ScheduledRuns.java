package dev.weft.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.InvalidFlowException;
import dev.weft.http.ApiException;
import dev.weft.run.Executions;
import dev.weft.run.Intake;
import dev.weft.run.TaskStart;
import dev.weft.store.AcceptHook;
import dev.weft.store.Accepted;
import dev.weft.store.FlowChangedException;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.NewTask;
import dev.weft.store.ScheduleRecord;
import java.util.List;

/**
 * Starts a schedule's tick through the {@link Intake}, as an execute of the flow's latest published version with the
 * schedule's inputs: limits, events and waits behave as for any task. A tick's task starts here when this process
 * has a free slot, else it is queued; never inline, so the claim commits before the flow runs.
 */
public final class ScheduledRuns implements Scheduler.Starter {

    private final Executions executions;
    private final Intake intake;
    private final JdbcFlowStore flows;

    public ScheduledRuns(Executions executions, Intake intake, JdbcFlowStore flows) {
        this.executions = executions;
        this.intake = intake;
        this.flows = flows;
    }

    @Override
    public Accepted start(ScheduleRecord schedule, AcceptHook claim) {
        ObjectNode inputs = schedule.settings().inputs().isObject() ? (ObjectNode) schedule.settings().inputs()
                : dev.weft.json.Json.object();
        for (int tries = 1; ; tries++) {
            try {
                NewTask task = executions.latestTask(schedule.flowId(), inputs);
                return intake.start(new TaskStart(task, List.of(), claim, TaskStart.Paths.HERE_OR_QUEUED)).accepted();
            } catch (FlowChangedException e) {
                flows.forgetLatest();   // another process published a version since this one last read it
                if (tries == 3) throw new Scheduler.TickFailed("the flow keeps changing", false, e);
            } catch (InvalidFlowException e) {
                throw new Scheduler.TickFailed("the inputs no longer fit the flow: " + e.getMessage(), true, e);
            } catch (ApiException e) {
                boolean lasting = e.kind() == ApiException.Kind.NOT_FOUND || e.kind() == ApiException.Kind.NOT_PUBLISHED
                        || e.kind() == ApiException.Kind.INVALID_INPUT;
                throw new Scheduler.TickFailed(e.getMessage(), lasting, e);
            }
        }
    }
}
