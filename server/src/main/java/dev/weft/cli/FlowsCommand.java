package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code weft flows import FILE [--publish]} and {@code weft flows publish ID} against a running server. */
@Command(name = "flows", description = "Manage the flows of a running Weft server.",
        subcommands = {FlowsCommand.Import.class, FlowsCommand.Publish.class})
final class FlowsCommand {

    @Command(name = "import", description = "Create a flow from a file (a Weft flow or a Scade export); prints its id.")
    static final class Import implements Callable<Integer> {
        @Parameters(index = "0") Path file;
        @Option(names = "--publish", description = "Publish it right away.") boolean publish;
        @Mixin AdminClient client;

        @Override
        public Integer call() throws Exception {
            JsonNode flow = client.post("/api/v1/flows", Files.readString(file));
            System.out.println("flow " + flow.path("id").asLong() + " created: " + flow.path("name").asText());
            if (publish) {
                JsonNode version = client.post("/api/v1/flows/" + flow.path("id").asLong() + "/publish", "");
                System.out.println("published version " + version.path("version").asInt());
            }
            return 0;
        }
    }

    @Command(name = "publish", description = "Publish a flow's draft as its next version.")
    static final class Publish implements Callable<Integer> {
        @Parameters(index = "0") long id;
        @Mixin AdminClient client;

        @Override
        public Integer call() throws Exception {
            JsonNode version = client.post("/api/v1/flows/" + id + "/publish", "");
            System.out.println("flow " + id + ": published version " + version.path("version").asInt());
            return 0;
        }
    }
}
