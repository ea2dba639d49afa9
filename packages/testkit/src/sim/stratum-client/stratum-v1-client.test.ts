import { afterEach, describe, expect, it } from 'vitest';
import { STRATUM_V1_LINES, stratumV1Line, V1 } from '../ttminer/testing/fixtures.js';
import { connectStratumClient } from './stratum-client.js';
import { StratumReplyError } from './stratum-client-error.js';
import {
  BitcoinStratumClient,
  connectBitcoinStratumClient,
  type StratumV1Notify,
  type StratumV1Reconnect,
} from './stratum-v1-client.js';
import { type ScriptedServer, startScriptedServer } from './testing/scripted-server.js';

const configureRequest = stratumV1Line((m) => m.method === 'mining.configure');
const configureResult = stratumV1Line((m) => m.id === 5 && m.result !== undefined);

describe('BitcoinStratumClient', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('speaks the fixture: subscribe, authorize, notifications, submit, extranonce, configure', async () => {
    expect(STRATUM_V1_LINES.length).toBeGreaterThan(10);
    server = await startScriptedServer();
    const client = await connectBitcoinStratumClient({ host: '127.0.0.1', port: server.port });
    const peer = await server.accepted();

    const subscribed = client.subscribe('cgminer/4.10.0');
    expect(await peer.nextLine()).toBe(V1.subscribeRequest);
    await peer.writeByteByByte(`${V1.subscribeResult}\n`);
    expect(await subscribed).toEqual({
      extranonce1: '08000002',
      extranonce2Size: 4,
      subscriptions: [
        ['mining.set_difficulty', 'b4b6693b72a50c7116db18d6497cac52'],
        ['mining.notify', 'ae6812eb4cd7735a302a8a9dd95cf71f'],
      ],
    });

    const jobs: StratumV1Notify[] = [];
    const difficulties: number[] = [];
    const extranonces: Array<[string, number]> = [];
    const reconnects: StratumV1Reconnect[] = [];
    client.onNotify((job) => jobs.push(job));
    client.onSetDifficulty((d) => difficulties.push(d));
    client.onSetExtranonce((e1, size) => extranonces.push([e1, size]));
    client.onReconnect((r) => reconnects.push(r));

    const authorized = client.authorize('account.worker1', 'x');
    expect(await peer.nextLine()).toBe(V1.authorizeRequest);
    // Reply and the first job in one chunk.
    peer.socket.write(`${V1.authorizeResult}\n${V1.setDifficulty}\n${V1.notify}\n`);
    expect(await authorized).toBe(true);

    const accepted = client.submit('account.worker1', 'bf', '00000001', '504e86ed', 'b2957c02');
    // The fixture's submit has id 4; ours is the third request.
    expect(await peer.nextLine()).toBe(V1.submitRequest.replace('"id":4', '"id":3'));
    peer.socket.write(`${V1.submitAccepted.replace('"id":4', '"id":3')}\n`);
    expect(await accepted).toEqual({ accepted: true });
    expect(jobs).toEqual([
      {
        jobId: 'bf',
        prevHash: '4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000',
        coinb1:
          '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20020862062f503253482f04b8864e5008',
        coinb2:
          '072f736c7573682f000000000100f2052a010000001976a914d23fcdf86f7e756a64a7a9688ef9903327048ed988ac00000000',
        merkleBranch: [],
        version: '00000002',
        nbits: '1c2ac4af',
        ntime: '504e86b9',
        cleanJobs: false,
      },
    ]);
    expect(difficulties).toEqual([1024]);
    expect(client.difficulty).toBe(1024);

    const rejected = client.submit(
      'account.worker1',
      'bf',
      '00000002',
      '504e86ed',
      'b2957c03',
      '1fffe000',
    );
    expect(await peer.nextLine()).toBe(
      '{"id":4,"method":"mining.submit","params":["account.worker1","bf","00000002","504e86ed","b2957c03","1fffe000"]}',
    );
    peer.socket.write(`${V1.submitRejected}\n`);
    expect(await rejected).toEqual({ accepted: false, error: [23, 'Low difficulty share', null] });

    const extranonce = client.extranonceSubscribe();
    expect(await peer.nextLine()).toBe(V1.extranonceSubscribeRequest.replace('"id":3', '"id":5'));
    peer.socket.write(
      `${V1.extranonceSubscribeResult.replace('"id":3', '"id":5')}\n${V1.setExtranonce.replace('08000002', '0a0b0c0d').replace(',4]', ',2]')}\n${V1.reconnect}\n`,
    );
    expect(await extranonce).toBe(true);

    const configured = client.configure(['version-rolling'], {
      'version-rolling.mask': '1fffe000',
      'version-rolling.min-bit-count': 2,
    });
    expect(await peer.nextLine()).toBe(configureRequest.replace('"id":5', '"id":6'));
    peer.socket.write(`${configureResult.replace('"id":5', '"id":6')}\n`);
    expect(await configured).toEqual({
      'version-rolling': true,
      'version-rolling.mask': '1fffe000',
    });
    expect(extranonces).toEqual([['0a0b0c0d', 2]]);
    expect([client.extranonce1, client.extranonce2Size]).toEqual(['0a0b0c0d', 2]);
    expect(reconnects).toEqual([{ host: 'stratum.example.org', port: 3333, waitSeconds: 0 }]);
    await client.close();
  });

  it('an error reply rejects with the pool error; a malformed subscribe result is a typed error', async () => {
    server = await startScriptedServer();
    const client = new BitcoinStratumClient(
      await connectStratumClient({ host: '127.0.0.1', port: server.port }),
    );
    const peer = await server.accepted();
    const authorized = client.authorize('nobody', 'x').catch((e: unknown) => e);
    await peer.nextLine();
    peer.socket.write('{"id":1,"result":null,"error":[24,"Unauthorized worker",null]}\n');
    const error = await authorized;
    expect(error).toBeInstanceOf(StratumReplyError);
    expect((error as StratumReplyError).poolMessage).toBe('Unauthorized worker');
    expect((error as StratumReplyError).message).toBe('mining.authorize: Unauthorized worker');

    const subscribed = client.subscribe().catch((e: unknown) => e);
    expect(await peer.nextLine()).toBe('{"id":2,"method":"mining.subscribe","params":[]}');
    peer.socket.write('{"id":2,"result":true,"error":null}\n');
    expect(await subscribed).toMatchObject({ code: 'E_STRATUM_CLIENT_BAD_REPLY' });
    await client.close();
  });
});
