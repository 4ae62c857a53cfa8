package dev.weft.server;

import dev.weft.engine.CompiledFlows;
import dev.weft.file.FileLinks;
import dev.weft.form.FormFields;
import dev.weft.form.FormLimits;
import dev.weft.form.FormSubmissions;
import dev.weft.form.FormsApi;
import dev.weft.form.PublicForms;
import dev.weft.store.Database;
import dev.weft.store.JdbcFileStore;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcFormStore;
import dev.weft.auth.PasswordHasher;
import dev.weft.auth.RateLimits;
import io.javalin.config.RoutesConfig;
import java.time.Clock;

/**
 * Hosted forms, wired: the management API under {@code /api/v1/flows/{flow_id}/forms} (behind the admin filter
 * of every flow route) and the public pages under {@code /forms/{token}}.
 */
final class FormsWiring {

    /** The stores and services that forms are made from. */
    record Parts(Database database, JdbcFlowStore flows, JdbcFileStore files, CompiledFlows compiled,
                 FileLinks links, long maxFileBytes, RunApiServices runApi, PasswordHasher hasher,
                 RateLimits rateLimits) {}

    private FormsWiring() {}

    static void register(RoutesConfig routes, Parts parts) {
        Clock clock = Clock.systemUTC();
        JdbcFormStore forms = new JdbcFormStore(parts.database(), clock);
        FormFields fields = new FormFields(parts.flows(), parts.compiled());
        new FormsApi(forms, parts.flows(), parts.hasher(), parts.links())
                .register(routes);
        FormSubmissions submissions = new FormSubmissions(fields, parts.runApi().executions(), forms, parts.files(),
                parts.links(), parts.maxFileBytes());
        new PublicForms(forms, fields, submissions, new FormLimits(parts.rateLimits()), parts.runApi().formTasks(),
                parts.hasher(), clock).register(routes);
    }
}
