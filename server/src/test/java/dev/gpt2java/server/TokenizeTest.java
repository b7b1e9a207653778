package dev.gpt2java.server;

import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** /tokenize and /detokenize (llama-server's shapes) are the model's tokenizer. */
class TokenizeTest {

    @RegisterExtension
    static final TestServer server = TestServer.forClass();

    private static int[] ids(JsonNode tokens) {
        return StreamSupport.stream(tokens.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
    }

    @Test
    void tokenizeIsTheTokenizersEncodeAndDetokenizeItsDecode() {
        Gpt2Tokenizer tok = server.model.tokenizer();
        String text = "The quick brown fox, 12 times.";
        HttpResponse<String> r = server.post("/tokenize", "{\"content\": \"" + text + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        int[] ids = ids(TestServer.json(r).get("tokens"));
        assertArrayEquals(tok.encode(text), ids);
        HttpResponse<String> back = server.post("/detokenize", "{\"tokens\": " + Arrays.toString(ids) + "}");
        assertEquals(text, TestServer.json(back).get("content").asText());
    }

    @Test
    void specialTokensArePlainTextUnlessAskedAndPiecesShowEachToken() {
        Gpt2Tokenizer tok = server.model.tokenizer();
        String text = "a<|endoftext|>";
        int[] plain = ids(TestServer.json(server.post("/tokenize", "{\"content\": \"" + text + "\"}")).get("tokens"));
        assertArrayEquals(tok.encode(text, false), plain);
        JsonNode special = TestServer.json(server.post("/tokenize",
                "{\"content\": \"" + text + "\", \"parse_special\": true, \"with_pieces\": true}")).get("tokens");
        int[] specialIds = StreamSupport.stream(special.spliterator(), false).mapToInt(t -> t.get("id").asInt()).toArray();
        assertArrayEquals(tok.encode(text, true), specialIds);
        assertEquals(Gpt2Tokenizer.END_OF_TEXT, special.get(special.size() - 1).get("piece").asText());
    }
}
