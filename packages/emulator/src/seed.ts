// The "demo" seed: a few accounts with contacts, opportunities, leads, cases and tasks.
import type { Org } from "./org.js";

const COMPANIES = [
  ["Edge Communications", "Customer - Direct", "Electronics", "Austin", "TX"],
  ["Burlington Textiles Corp of America", "Customer - Direct", "Apparel", "Burlington", "NC"],
  ["Pyramid Construction Inc.", "Customer - Channel", "Construction", "Paris", null],
  ["Dickenson plc", "Customer - Channel", "Consulting", "Lawrence", "KS"],
  ["Grand Hotels & Resorts Ltd", "Customer - Direct", "Hospitality", "Chicago", "IL"],
  ["United Oil & Gas Corp.", "Customer - Direct", "Energy", "New York", "NY"],
  ["Express Logistics and Transport", "Customer - Channel", "Transportation", "Portland", "OR"],
  ["University of Arizona", "Customer - Direct", "Education", "Tucson", "AZ"],
  ["GenePoint", "Customer - Channel", "Biotechnology", "Mountain View", "CA"],
  ["sForce", null, null, "San Francisco", "CA"],
] as const;

const PEOPLE = [
  ["Rose", "Gonzalez", "Procurement"],
  ["Sean", "Forbes", "Finance"],
  ["Jack", "Rogers", "Facilities"],
  ["Pat", "Stumuller", "Finance"],
  ["Andy", "Young", "Internal Operations"],
  ["Tim", "Barr", "Finance"],
  ["John", "Bond", "Facilities"],
  ["Stella", "Pavlova", "Production"],
  ["Lauren", "Boyle", "Technology"],
  ["Babara", "Levy", "Operations"],
] as const;

export function seedDemo(org: Org): void {
  const store = org.store;
  COMPANIES.forEach(([name, type, industry, city, state], i) => {
    const accountId = store.insert("Account", {
      Name: name,
      Type: type,
      Industry: industry,
      BillingCity: city,
      BillingState: state,
      BillingCountry: state ? "US" : "France",
      AnnualRevenue: (i + 1) * 1_000_000,
      NumberOfEmployees: (i + 1) * 120,
      Phone: `(512) 757-${String(6000 + i).padStart(4, "0")}`,
      Ext_Id__c: `ACC-${String(i + 1).padStart(4, "0")}`,
    });
    const [first, last, dept] = PEOPLE[i]!;
    const contactId = store.insert("Contact", {
      AccountId: accountId,
      FirstName: first,
      LastName: last,
      Department: dept,
      Email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
      Title: "Buyer",
      Ext_Id__c: `CON-${String(i + 1).padStart(4, "0")}`,
    });
    store.insert("Opportunity", {
      AccountId: accountId,
      Name: `${name} - Expansion`,
      StageName: i % 3 === 0 ? "Closed Won" : "Prospecting",
      CloseDate: `2026-${String((i % 12) + 1).padStart(2, "0")}-15`,
      Amount: (i + 1) * 25_000,
    });
    store.insert("Case", {
      AccountId: accountId,
      ContactId: contactId,
      Subject: `Question from ${first}`,
      Status: "New",
      Origin: "Web",
    });
    store.insert("Task", {
      WhatId: accountId,
      WhoId: contactId,
      Subject: "Call",
      Status: "Not Started",
      Priority: "Normal",
    });
  });
  store.insert("ApexClass", { Name: "AccountService", Body: "public with sharing class AccountService {}" });
  store.insert("ApexClass", {
    Name: "AccountServiceTest",
    Body: "@IsTest private class AccountServiceTest {}",
  });
  for (let i = 0; i < 5; i++) {
    store.insert("Lead", {
      FirstName: ["Bertha", "Phyllis", "Jeff", "Mike", "Patricia"][i],
      LastName: ["Boxer", "Cotton", "Glimpse", "Braund", "Feager"][i],
      Company: [
        "Farmers Coop. of Florida",
        "Abbott Insurance",
        "Jackson Controls",
        "Metropolitan Health Services",
        "International Shipping Co.",
      ][i],
      Status: "Open - Not Contacted",
    });
  }
}
