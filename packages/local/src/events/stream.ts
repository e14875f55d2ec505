import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
  type _Record,
} from "@aws-sdk/client-dynamodb-streams";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";

/**
 * Reads a table's stream the way a Lambda event source mapping does, for `npm start`:
 * DescribeStream → GetShardIterator → GetRecords, shard by shard, a child shard only once its parent
 * has been read to its end (so a user's records stay in order across a split), from a position
 * kept in `Checkpoints` — the caller persists it together with what it made of the records.
 */

/** Per shard: the last sequence number handled, and whether the shard was read to its (closed) end. */
export type Checkpoints = { streamArn?: string; shards: Record<string, { after?: string; done?: boolean }> };

export type StreamOptions = {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  tableName: string;
};

/** What to do with a batch of records; the checkpoint moves past them once it resolves. */
export type OnRecords = (records: _Record[], shardId: string) => Promise<void>;

const DESCRIBE_EVERY_MS = 5_000;

export class StreamReader {
  private readonly streams: DynamoDBStreamsClient;
  private readonly dynamo: DynamoDBClient;
  private readonly iterators = new Map<string, string>();
  private shards: Shard[] = [];
  private describedAt = 0;

  constructor(
    private readonly options: StreamOptions,
    private readonly checkpoints: Checkpoints,
    private readonly warn: (line: string) => void = () => undefined,
  ) {
    const { endpoint, region, credentials } = options;
    this.streams = new DynamoDBStreamsClient({ endpoint, region, credentials });
    this.dynamo = new DynamoDBClient({ endpoint, region, credentials });
  }

  /** The table's current stream; a different one than the checkpoints name (a new table) starts them afresh. */
  private async streamArn(): Promise<string> {
    const { Table } = await this.dynamo.send(new DescribeTableCommand({ TableName: this.options.tableName }));
    const arn = Table?.LatestStreamArn;
    if (!arn) throw new Error(`table ${this.options.tableName} has no stream`);
    if (this.checkpoints.streamArn !== arn) {
      this.checkpoints.streamArn = arn;
      this.checkpoints.shards = {};
      this.iterators.clear();
    }
    return arn;
  }

  private async describe(force = false) {
    if (!force && Date.now() - this.describedAt < DESCRIBE_EVERY_MS) return;
    const StreamArn = await this.streamArn();
    const shards: Shard[] = [];
    let ExclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.streams.send(
        new DescribeStreamCommand({ StreamArn, ExclusiveStartShardId }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (ExclusiveStartShardId);
    this.shards = shards;
    this.describedAt = Date.now();
  }

  /** Shards to read now: not finished, and whose parent (if the stream still has it) is finished. */
  private ready(): Shard[] {
    const known = new Set(this.shards.map((s) => s.ShardId));
    return this.shards.filter((s) => {
      const id = s.ShardId ?? "";
      if (this.checkpoints.shards[id]?.done) return false;
      const parent = s.ParentShardId;
      return !parent || !known.has(parent) || this.checkpoints.shards[parent]?.done === true;
    });
  }

  private async iterator(shardId: string): Promise<string | undefined> {
    const held = this.iterators.get(shardId);
    if (held) return held;
    const StreamArn = this.checkpoints.streamArn;
    const after = this.checkpoints.shards[shardId]?.after;
    const get = (type: "AFTER_SEQUENCE_NUMBER" | "TRIM_HORIZON") =>
      this.streams.send(
        new GetShardIteratorCommand({
          StreamArn,
          ShardId: shardId,
          ShardIteratorType: type,
          ...(type === "AFTER_SEQUENCE_NUMBER" ? { SequenceNumber: after } : {}),
        }),
      );
    try {
      const { ShardIterator } = await get(after ? "AFTER_SEQUENCE_NUMBER" : "TRIM_HORIZON");
      return ShardIterator;
    } catch (e) {
      const name = (e as Error).name;
      if (name === "TrimmedDataAccessException") {
        // The checkpoint is older than the stream's 24 h: what lay between is gone. Read what is left.
        this.warn(`events: shard ${shardId} was trimmed past the checkpoint; records older than 24 h are lost`);
        return (await get("TRIM_HORIZON")).ShardIterator;
      }
      if (name === "ResourceNotFoundException") return undefined;
      throw e;
    }
  }

  /**
   * One pass: each ready shard once, its records handed to `onRecords` in order, the checkpoint
   * moved past them after. Returns how many records were read.
   */
  async poll(onRecords: OnRecords): Promise<number> {
    await this.describe();
    let read = 0;
    for (const shard of this.ready()) {
      const shardId = shard.ShardId ?? "";
      const iterator = await this.iterator(shardId);
      this.checkpoints.shards[shardId] ??= {};
      const checkpoint = this.checkpoints.shards[shardId];
      if (!iterator) {
        checkpoint.done = true;
        continue;
      }
      let answer: GetRecordsCommandOutput;
      try {
        answer = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      } catch (e) {
        this.iterators.delete(shardId);
        if ((e as Error).name === "ExpiredIteratorException") continue;
        throw e;
      }
      const records = answer.Records ?? [];
      if (records.length > 0) {
        await onRecords(records, shardId);
        checkpoint.after = records[records.length - 1]?.dynamodb?.SequenceNumber ?? checkpoint.after;
        read += records.length;
      }
      if (answer.NextShardIterator) this.iterators.set(shardId, answer.NextShardIterator);
      else {
        // A closed shard read to its end: its children may start.
        this.iterators.delete(shardId);
        checkpoint.done = true;
        await this.describe(true);
      }
    }
    return read;
  }
}
