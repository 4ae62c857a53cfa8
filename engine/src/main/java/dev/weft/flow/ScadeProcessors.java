package dev.weft.flow;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which Weft node type a Scade processor becomes, by its name: the one place the Scade import's mapping table
 * lives. The names Scade uses for its processors are only partly public: {@code start}, {@code end},
 * {@code if-condition-stop-execution} and {@code mlscade/fooocus} come from a real export; the families below are
 * recognised by the words in the name (a model's name, a task's name), so a processor named after its model maps
 * whatever its prefix.
 */
public final class ScadeProcessors {

    /** The Weft node types the import writes, with the settings fixed for them (docs/scade.md). */
    public static final String LLM = "llm";
    public static final String MODEL = "model";
    public static final String IMAGE = "image";
    public static final String TRANSCRIBE = "transcribe";
    public static final String SPEECH = "speech";
    public static final String IF = "if";

    /** Scade processors Weft has one to one. */
    static final Map<String, String> EXACT = Map.of(
            "start", FlowNode.START,
            "end", FlowNode.END,
            "if-condition-stop-execution", IF);

    /**
     * Replicate models for Scade's image processors, by a word of the processor's name. {@code vetkastar/fooocus}
     * is what the real export's node ids name ({@code tqAT-vetkastar-fooocus} for {@code mlscade/fooocus}).
     */
    static final List<Map.Entry<String, String>> REPLICATE = List.of(
            Map.entry("fooocus", "vetkastar/fooocus"),
            Map.entry("rembg", "cjwbw/rembg"),
            Map.entry("remove-bg", "cjwbw/rembg"),
            Map.entry("background", "cjwbw/rembg"),
            Map.entry("real-esrgan", "nightmareai/real-esrgan"),
            Map.entry("esrgan", "nightmareai/real-esrgan"),
            Map.entry("upscal", "nightmareai/real-esrgan"),
            Map.entry("gfpgan", "tencentarc/gfpgan"),
            Map.entry("codeformer", "sczhou/codeformer"),
            Map.entry("flux-schnell", "black-forest-labs/flux-schnell"),
            Map.entry("flux", "black-forest-labs/flux-dev"),
            Map.entry("sdxl", "stability-ai/sdxl"),
            Map.entry("stable-diffusion", "stability-ai/stable-diffusion"));

    private static final List<String> LLM_WORDS = List.of("gpt", "claude", "llama", "mistral", "mixtral", "gemini",
            "deepseek", "qwen", "llm", "chat", "completion", "language-model");
    private static final List<String> TRANSCRIBE_WORDS = List.of("whisper", "transcri", "speech-to-text",
            "speech2text", "stt");
    private static final List<String> SPEECH_WORDS = List.of("text-to-speech", "text2speech", "tts");
    private static final List<String> OPENAI_IMAGE_WORDS = List.of("dall-e", "dalle", "gpt-image");

    private ScadeProcessors() {}

    /**
     * What a Scade processor maps to.
     *
     * @param type     the Weft node type
     * @param model    the model to preselect ({@code owner/name} for {@code model}); null when there is none
     * @param provider the llm node's provider, null for the default
     */
    public record Target(String type, String model, String provider) {}

    /**
     * The target of {@code processor} on the node {@code nodeId}; empty for a processor Weft has no node for.
     * A {@code model} target without a known Replicate model is empty too: the node has nothing to call.
     */
    public static Optional<Target> target(String processor, String nodeId) {
        String exact = EXACT.get(processor);
        if (exact != null) return Optional.of(new Target(exact, null, null));
        String name = processor.toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
        String last = name.substring(name.lastIndexOf('/') + 1);
        if (has(name, OPENAI_IMAGE_WORDS)) {
            return Optional.of(new Target(IMAGE, name.contains("gpt-image") ? "gpt-image-1"
                    : name.contains("2") ? "dall-e-2" : "dall-e-3", null));
        }
        if (has(name, TRANSCRIBE_WORDS)) return Optional.of(new Target(TRANSCRIBE, "whisper-1", null));
        if (has(name, SPEECH_WORDS)) return Optional.of(new Target(SPEECH, "tts-1", null));
        if (has(name, LLM_WORDS)) {
            return Optional.of(new Target(LLM, last, name.contains("claude") ? "anthropic" : null));
        }
        for (Map.Entry<String, String> replicate : REPLICATE) {
            if (name.contains(replicate.getKey())) return Optional.of(new Target(MODEL, replicate.getValue(), null));
        }
        if (name.startsWith("mlscade/")) {
            // Scade's own model processors are named after the Replicate model, whose owner the node id carries:
            // "<4 letters>-<owner>-<name>"
            String suffix = "-" + last;
            if (nodeId.endsWith(suffix) && nodeId.length() > 5 + suffix.length() && nodeId.charAt(4) == '-') {
                String owner = nodeId.substring(5, nodeId.length() - suffix.length());
                if (!owner.isEmpty()) return Optional.of(new Target(MODEL, owner + "/" + last, null));
            }
        }
        return Optional.empty();
    }

    private static boolean has(String name, List<String> words) {
        for (String word : words) {
            if (name.contains(word)) return true;
        }
        return false;
    }
}
