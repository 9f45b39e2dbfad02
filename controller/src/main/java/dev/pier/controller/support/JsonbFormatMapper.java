package dev.pier.controller.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.type.format.AbstractJsonFormatMapper;

/**
 * Reads and writes jsonb columns with one Jackson reader and writer per column type, made once. Hibernate's own
 * Jackson mapper resolves the column's generic type ({@code Map<String, ProcessType>}) and looks up its
 * deserializer again for every value; with three such columns per release that was about a tenth of the CPU of
 * {@code GET /apps/{app}/releases}.
 */
final class JsonbFormatMapper extends AbstractJsonFormatMapper {
    private final ObjectMapper mapper;
    private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();
    private final Map<Type, ObjectWriter> writers = new ConcurrentHashMap<>();

    JsonbFormatMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    protected <T> T fromString(CharSequence json, Type type) {
        try {
            return readers.computeIfAbsent(type, t -> mapper.readerFor(mapper.constructType(t)))
                    .readValue(json.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("could not read a jsonb value as " + type.getTypeName(), e);
        }
    }

    @Override
    protected <T> String toString(T value, Type type) {
        try {
            return writers.computeIfAbsent(type, t -> mapper.writerFor(mapper.constructType(t)))
                    .writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("could not write a jsonb value as " + type.getTypeName(), e);
        }
    }
}
