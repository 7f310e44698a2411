from rest_framework import serializers

from motcua.catalogue.models import ChannelOption, Fee, Field, Procedure, ProcedureCase, RequiredDocument


class FieldSerializer(serializers.ModelSerializer):
    procedures = serializers.IntegerField(read_only=True, source="n")

    class Meta:
        model = Field
        fields = ["code", "name", "i18n", "procedures"]


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fee
        fields = ["kind", "amount", "currency", "description"]


class ChannelSerializer(serializers.ModelSerializer):
    fees = FeeSerializer(many=True, read_only=True)
    time_value = serializers.DecimalField(
        max_digits=8, decimal_places=2, coerce_to_string=False, allow_null=True
    )

    class Meta:
        model = ChannelOption
        fields = [
            "channel",
            "time_value",
            "time_unit",
            "time_text",
            "free",
            "fees",
            "fee_text",
            "description",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    form = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # Declared so the schema is the same on every database (SQLite and PostgreSQL bound them differently).
    originals = serializers.IntegerField(read_only=True)
    copies = serializers.IntegerField(read_only=True)

    class Meta:
        model = RequiredDocument
        fields = ["name", "originals", "copies", "form", "form_name", "notes"]


class CaseSerializer(serializers.ModelSerializer):
    documents = DocumentSerializer(many=True, read_only=True)
    time_value = serializers.DecimalField(
        max_digits=8, decimal_places=2, coerce_to_string=False, allow_null=True
    )

    class Meta:
        model = ProcedureCase
        fields = ["name", "time_value", "time_unit", "documents"]


class ProcedureSummarySerializer(serializers.ModelSerializer):
    field = serializers.SlugRelatedField(slug_field="code", read_only=True)
    levels = serializers.ListField(child=serializers.CharField(), source="level_list", read_only=True)

    class Meta:
        model = Procedure
        fields = ["code", "name", "summary", "i18n", "field", "levels", "online_level", "source"]


class ProcedureSerializer(ProcedureSummarySerializer):
    channels = ChannelSerializer(many=True, read_only=True)
    cases = CaseSerializer(many=True, read_only=True)
    agencies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta(ProcedureSummarySerializer.Meta):
        fields = ProcedureSummarySerializer.Meta.fields + [
            "source_url",
            "publication_decision",
            "procedure_type",
            "applicant_types",
            "competent_authority",
            "coordinating_agencies",
            "implementing_agency",
            "reception_address",
            "agencies",
            "steps",
            "channels",
            "cases",
            "legal_basis",
            "conditions",
            "result",
            "updated_at",
        ]
