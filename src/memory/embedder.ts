/** Turns text into vectors for the knowledge table (vector(EMBEDDING_DIMENSIONS), cosine distance). */
export interface Embedder {
  /** `local` or the embeddings model's name; stored beside each vector so a model change is noticed. */
  readonly name: string;
  readonly dimensions: number;
  /** One vector per text, in order. */
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}
