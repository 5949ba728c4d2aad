"""Writes a tiny LLaMA-architecture model with random weights as GGUF, for llama.cpp's server.

Usage: python tiny_gguf.py OUT.gguf

64 wide, 2 layers, 4 heads; a byte-level SentencePiece vocabulary (the 256 byte tokens and
the special tokens <unk>, <s>, </s>, <|im_start|> and <|im_end|>) and the ChatML chat
template. Its answers are nonsense, written at thousands of tokens a second on one core:
what the browser suite needs is a real server's protocol, token counts and timings, not
sense. The weights come from a fixed seed, so the same gguf and numpy write the same file
(about 460 KB).

The residual stream's first dimension holds a constant that no layer writes to, and the
output matrix reads it so that the special tokens are never likely and printable ASCII
more likely than other bytes: answers are plain text that runs to the token limit.
"""

import sys

import gguf
import numpy as np

SEED = 20261124
WIDTH = 64
LAYERS = 2
HEADS = 4
FEED_FORWARD = 128
CONTEXT = 4096

SPECIALS = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"]
UNK, BOS, EOS, IM_START, IM_END = range(len(SPECIALS))
CHATML = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def vocabulary():
    """The tokens, their scores and their types: the specials, then one token per byte."""
    tokens = SPECIALS + [f"<0x{byte:02X}>" for byte in range(256)]
    types = [gguf.TokenType.UNKNOWN, gguf.TokenType.CONTROL, gguf.TokenType.CONTROL]
    types += [gguf.TokenType.CONTROL] * 2 + [gguf.TokenType.BYTE] * 256
    scores = [0.0] * len(tokens)
    return tokens, scores, types


def weights(rng, n_vocab):
    """Every tensor, by its GGUF name, as float32 arrays shaped (out, in)."""
    normal = lambda *shape, scale=0.05: rng.normal(0.0, scale, shape).astype(np.float32)
    ones = lambda n: np.ones(n, dtype=np.float32)
    embedding = normal(n_vocab, WIDTH)
    embedding[:, 0] = 1.0  # the constant: after the norm, about 8 in every position
    output = normal(n_vocab, WIDTH, scale=0.1)
    output[:, 0] = -1.0  # bytes other than printable ASCII
    output[len(SPECIALS) + 0x20 : len(SPECIALS) + 0x7F, 0] = 0.5
    output[: len(SPECIALS), 0] = -20.0  # never a special token
    tensors = {
        "token_embd.weight": embedding,
        "output_norm.weight": ones(WIDTH),
        "output.weight": output,
    }
    for layer in range(LAYERS):
        block = {
            "attn_norm.weight": ones(WIDTH),
            "attn_q.weight": normal(WIDTH, WIDTH),
            "attn_k.weight": normal(WIDTH, WIDTH),
            "attn_v.weight": normal(WIDTH, WIDTH),
            "attn_output.weight": normal(WIDTH, WIDTH),
            "ffn_norm.weight": ones(WIDTH),
            "ffn_gate.weight": normal(FEED_FORWARD, WIDTH),
            "ffn_up.weight": normal(FEED_FORWARD, WIDTH),
            "ffn_down.weight": normal(WIDTH, FEED_FORWARD),
        }
        # No layer writes to the constant dimension.
        block["attn_output.weight"][0, :] = 0.0
        block["ffn_down.weight"][0, :] = 0.0
        tensors.update({f"blk.{layer}.{name}": value for name, value in block.items()})
    return tensors


def main(path):
    tokens, scores, types = vocabulary()
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name("crossover tiny test model")
    writer.add_context_length(CONTEXT)
    writer.add_embedding_length(WIDTH)
    writer.add_block_count(LAYERS)
    writer.add_feed_forward_length(FEED_FORWARD)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(HEADS)
    writer.add_rope_dimension_count(WIDTH // HEADS)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_unk_token_id(UNK)
    writer.add_bos_token_id(BOS)
    writer.add_eos_token_id(EOS)
    writer.add_add_bos_token(False)
    writer.add_chat_template(CHATML)
    for name, tensor in weights(np.random.default_rng(SEED), len(tokens)).items():
        writer.add_tensor(name, tensor)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tiny_gguf.py OUT.gguf")
    main(sys.argv[1])
