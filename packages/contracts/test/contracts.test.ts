import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { analytics, cases, common, descriptorSetPath, flightinfo, google, loyalty, profile, rpc } from '../src';

describe('descriptor set', () => {
  it('is found next to src/ and holds every service with its imports (for gRPC reflection)', () => {
    const file = descriptorSetPath();
    expect(file).toBe(path.resolve(__dirname, '..', 'gen', 'csm.binpb'));
    const set = fromBinary(FileDescriptorSetSchema, readFileSync(file));
    const names = new Set(set.file.map((f) => f.name));
    for (const needed of ['google/protobuf/timestamp.proto', 'google/rpc/status.proto', 'google/rpc/error_details.proto', 'csm/common/v1/money.proto']) {
      expect(names.has(needed)).toBe(true);
    }
    const services = set.file.flatMap((f) => f.service.map((s) => `${f.package}.${s.name}`)).sort();
    expect(services).toEqual([
      'csm.analytics.v1.AnalyticsService',
      'csm.cases.v1.CaseService',
      'csm.flightinfo.v1.CargoService',
      'csm.flightinfo.v1.FlightInfoService',
      'csm.loyalty.v1.LoyaltyService',
      'csm.loyalty.v1.PartnerService',
      'csm.profile.v1.ProfileService',
    ]);
    // Every import a file names is in the set (self-contained).
    for (const f of set.file) for (const dep of f.dependency) expect(names.has(dep)).toBe(true);
  });
});

describe('generated TypeScript', () => {
  it('exposes grpc-js service definitions per domain namespace', () => {
    expect(profile.ProfileServiceService.lookupPassenger.path).toBe('/csm.profile.v1.ProfileService/LookupPassenger');
    expect(cases.CaseServiceService.openCase.path).toBe('/csm.cases.v1.CaseService/OpenCase');
    expect(loyalty.PartnerServiceService.postAccrual.path).toBe('/csm.loyalty.v1.PartnerService/PostAccrual');
    expect(flightinfo.CargoServiceService.trackShipment.path).toBe('/csm.flightinfo.v1.CargoService/TrackShipment');
    expect(analytics.AnalyticsServiceService.exportCsv.responseStream).toBe(true);
  });

  it('carries int64 as number and Timestamp as Date', () => {
    const money = common.Money.fromJSON({ amountMinor: '123456789012', currencyCode: 'CNY' });
    expect(money).toEqual({ amountMinor: 123456789012, currencyCode: 'CNY' });
    const audit = common.AuditMetadata.decode(common.AuditMetadata.encode({ version: 7, createTime: new Date('2026-01-02T03:04:05.006Z') }).finish());
    expect(audit.version).toBe(7);
    expect(audit.createTime).toEqual(new Date('2026-01-02T03:04:05.006Z'));
  });

  it('encodes google.rpc.Status with BadRequest details readable by standard tooling', () => {
    const badRequest = rpc.BadRequest.encode({
      fieldViolations: [{ field: 'passenger.phones[0].e164', description: 'must be E.164', reason: 'INVALID_FORMAT' }],
    }).finish();
    const any: google.protobuf.Any = { typeUrl: 'type.googleapis.com/google.rpc.BadRequest', value: Buffer.from(badRequest) };
    const bytes = rpc.Status.encode({ code: rpc.Code.INVALID_ARGUMENT, message: 'invalid passenger', details: [any] }).finish();
    const status = rpc.Status.decode(bytes);
    expect(status.code).toBe(3);
    expect(rpc.BadRequest.decode(status.details[0]!.value).fieldViolations[0]).toMatchObject({
      field: 'passenger.phones[0].e164',
      reason: 'INVALID_FORMAT',
    });
    // Field numbers as in googleapis: Status.details = 3, BadRequest.field_violations = 1, FieldViolation.field = 1.
    expect(Buffer.from(bytes).subarray(0, 2)).toEqual(Buffer.from([0x08, 0x03]));
  });
});
