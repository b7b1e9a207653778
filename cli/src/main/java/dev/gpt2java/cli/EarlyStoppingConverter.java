package dev.gpt2java.cli;

import dev.gpt2java.search.EarlyStopping;

import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --early-stopping} of generate and beam, as Hugging Face's early_stopping: true, false or never, in any case. */
final class EarlyStoppingConverter implements ITypeConverter<EarlyStopping> {

    @Override
    public EarlyStopping convert(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> EarlyStopping.TRUE;
            case "false" -> EarlyStopping.FALSE;
            case "never" -> EarlyStopping.NEVER;
            default -> throw new TypeConversionException("expected true, false or never, was '" + value + "'");
        };
    }
}
