package dev.weft.builtin;

import org.mozilla.javascript.CompilerEnvirons;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Parser;
import org.mozilla.javascript.ast.TaggedTemplateLiteral;

/**
 * Finds tagged templates in code. Rhino keeps a tagged template's strings object inside the compiled script, made
 * in the scope of the first run that reached it, so a compiled script with one cannot be shared between runs.
 */
final class TaggedTemplates {

    private TaggedTemplates() {}

    /** Whether {@code source}, which compiles, holds a tagged template anywhere. */
    static boolean in(Context cx, String source) {
        if (source.indexOf('`') < 0) return false;
        CompilerEnvirons environment = new CompilerEnvirons();
        environment.initFromContext(cx);
        boolean[] found = {false};
        new Parser(environment).parse(source, "code", 0).visit(node -> {
            if (node instanceof TaggedTemplateLiteral) found[0] = true;
            return !found[0];
        });
        return found[0];
    }
}
