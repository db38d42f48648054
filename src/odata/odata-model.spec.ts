import { parseConfig } from '../config/app-config';
import { renderMetadata } from './odata-metadata';
import { buildODataModel, summaryGrain } from './odata-model';
import { typed } from './odata-sets.service';

const config = parseConfig({});

describe('OData model', () => {
  it('without capabilities: the tenant lists, every grain dimension, every KPI', () => {
    const model = buildODataModel(config);
    expect(model.sets.map((s) => s.name)).toEqual([
      'Queues',
      'AgentStateChanges',
      'Summaries',
      'Exports',
      'Kpis',
      'AgentSummaries',
    ]);
    expect(model.grains.Summaries.dimensions).toEqual(['channel', 'skill', 'campaign']);
    expect(model.grains.Summaries.metrics).toEqual(config.analytics.allowedMetrics);
    const summary = model.set('Summaries')!.type;
    expect(summary.key).toEqual(['date', 'bucketStart', 'channel', 'skill', 'campaign']);
    expect(summary.properties.find((p) => p.name === 'talk_ratio')?.type).toBe('Edm.Double');
  });

  it('with source groups: the group holding most of the grain, its metrics and their KPIs', () => {
    const caps = {
      metrics: ['handle_time', 'talk_time', 'login_time'],
      dimensions: ['channel', 'skill', 'agent', 'team', 'date'],
      dimensionGroups: [
        {
          source: 'skills',
          dimensions: ['channel', 'skill', 'date'],
          metrics: ['handle_time', 'talk_time'],
        },
        { source: 'agents', dimensions: ['agent', 'team', 'date'], metrics: ['login_time'] },
      ],
    };
    expect(summaryGrain(config, caps, ['channel', 'skill', 'campaign'])).toEqual({
      dimensions: ['channel', 'skill'],
      metrics: ['handle_time', 'talk_time'],
    });
    expect(summaryGrain(config, caps, ['team'])).toEqual({
      dimensions: ['team'],
      metrics: ['login_time'],
    });
    const model = buildODataModel(config, caps);
    expect(model.set('TeamSummaries')?.type.key).toEqual(['date', 'bucketStart', 'team']);
    const props = model.set('Summaries')!.type.properties.map((p) => p.name);
    expect(props).toContain('talk_ratio');
    expect(props).not.toContain('hold_ratio');
  });

  it('renders CSDL with keys, Edm types, collections and the contained records', () => {
    const xml = renderMetadata(buildODataModel(config));
    expect(xml).toContain('<edmx:Edmx Version="4.0"');
    expect(xml).toContain('<Key><PropertyRef Name="queueId"/></Key>');
    expect(xml).toContain('<Property Name="date" Type="Edm.Date" Nullable="false"/>');
    expect(xml).toContain('<Property Name="requires" Type="Collection(Edm.String)"/>');
    expect(xml).toContain(
      '<NavigationProperty Name="Records" Type="Collection(CXoneGateway.ExportRecord)" ContainsTarget="true"/>',
    );
    expect(xml).toContain('<EntitySet Name="Kpis" EntityType="CXoneGateway.Kpi"/>');
  });

  it('shapes rows to their type: whole Int64, no null keys, every property present', () => {
    const queue = buildODataModel(config).set('Queues')!.type;
    expect(typed(queue, { queueId: 'q', agentCount: 3.6 })).toMatchObject({
      queueId: 'q',
      agentCount: 4,
      queueName: null,
      waitTime: null,
    });
    expect(typed(queue, { queueId: null }).queueId).toBe('');
  });
});
