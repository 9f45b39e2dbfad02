package dev.pier.web;

import java.beans.PropertyEditorSupport;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Whole numbers in paths, query parameters and headers are read as JSON bodies are: decimal digits with an optional
 * '-', nothing else. Spring's own reading also takes {@code 0x10} and {@code #10} (16), a leading '+' and white space,
 * which the API does not document and a client should not come to rely on (found by the contract module's fuzz).
 * Anything else is a 400 naming the parameter; an empty value is no value, as before (a default applies).
 * Registered as editors, not converters: the binder falls back to its lenient default editors when a converter fails.
 */
@ControllerAdvice
public class DecimalNumbers {
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,19}");

    @InitBinder
    public void decimalNumbers(WebDataBinder binder) {
        binder.registerCustomEditor(int.class, new Decimal(Integer::valueOf, false));
        binder.registerCustomEditor(Integer.class, new Decimal(Integer::valueOf, true));
        binder.registerCustomEditor(long.class, new Decimal(Long::valueOf, false));
        binder.registerCustomEditor(Long.class, new Decimal(Long::valueOf, true));
    }

    private static final class Decimal extends PropertyEditorSupport {
        private final Function<String, Number> parse;
        private final boolean nullable;

        Decimal(Function<String, Number> parse, boolean nullable) {
            this.parse = parse;
            this.nullable = nullable;
        }

        @Override
        public void setAsText(String text) {
            if (text == null || text.isEmpty()) {
                if (!nullable) {
                    throw new IllegalArgumentException("a whole number is required");
                }
                setValue(null);
                return;
            }
            if (!DECIMAL.matcher(text).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a decimal whole number");
            }
            setValue(parse.apply(text)); // NumberFormatException (also an IllegalArgumentException) when too large
        }
    }
}
