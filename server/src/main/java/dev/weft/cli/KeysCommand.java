package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code weft keys create --name NAME}: makes a server key on a running server and prints it (shown once). */
@Command(name = "keys", description = "Manage server keys of a running Weft server.",
        subcommands = {KeysCommand.Create.class})
final class KeysCommand {

    @Command(name = "create", description = "Make a server key; it is printed once and cannot be shown again.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--name", required = true) String name;
        @Mixin AdminClient client;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = Json.object();
            body.put("name", name);
            JsonNode key = client.post("/api/v1/keys", Json.write(body));
            System.out.println(key.path("key").asText());
            System.err.println("server key '" + name + "' (id " + key.path("id").asText()
                    + "): use it as 'Authorization: Basic <key>'. It is shown only now.");
            return 0;
        }
    }
}
