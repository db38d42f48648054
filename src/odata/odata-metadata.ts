import type { EntityTypeDef, ODataModel, PropertyDef } from './odata-model';

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function propertyXml(p: PropertyDef): string {
  const type = p.collection ? `Collection(${p.type})` : p.type;
  const nullable = p.nullable ? '' : ' Nullable="false"';
  return `<Property Name="${escapeXml(p.name)}" Type="${type}"${nullable}/>`;
}

function entityTypeXml(ns: string, t: EntityTypeDef): string {
  const keys = t.key.map((k) => `<PropertyRef Name="${escapeXml(k)}"/>`).join('');
  const props = t.properties.map(propertyXml).join('');
  const nav = (t.navigation ?? [])
    .map(
      (n) =>
        `<NavigationProperty Name="${n.name}" Type="Collection(${ns}.${n.target})" ContainsTarget="true"/>`,
    )
    .join('');
  return `<EntityType Name="${t.name}"><Key>${keys}</Key>${props}${nav}</EntityType>`;
}

/** CSDL XML (OData v4) of the feed: entity types with keys and Edm types, one container. */
export function renderMetadata(model: ODataModel): string {
  const ns = model.namespace;
  const types = [...model.sets.map((s) => s.type), ...model.contained]
    .map((t) => entityTypeXml(ns, t))
    .join('');
  const sets = model.sets
    .map((s) => `<EntitySet Name="${s.name}" EntityType="${ns}.${s.type.name}"/>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">' +
    '<edmx:DataServices>' +
    `<Schema Namespace="${ns}" xmlns="http://docs.oasis-open.org/odata/ns/edm">` +
    `${types}<EntityContainer Name="Container">${sets}</EntityContainer>` +
    '</Schema></edmx:DataServices></edmx:Edmx>'
  );
}

/** The service document: every entity set with its URL relative to the service root. */
export function serviceDocument(model: ODataModel, root: string): object {
  return {
    '@odata.context': `${root}/$metadata`,
    value: model.sets.map((s) => ({ name: s.name, kind: 'EntitySet', url: s.name })),
  };
}
